"""Buyers and their demand."""
