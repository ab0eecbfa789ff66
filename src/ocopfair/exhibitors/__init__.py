"""Exhibitors and their OCOP products."""
