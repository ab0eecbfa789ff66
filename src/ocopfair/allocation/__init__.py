"""Booth applications, the allocation run and its confirmation, manual assignments and the floor plan."""
