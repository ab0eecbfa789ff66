"""Read-only reference data: OCOP categories, certifications, provinces."""
