"""Fairs, halls and booths."""
