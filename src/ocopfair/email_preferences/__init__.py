"""Which emails a buyer or an exhibitor gets: the daily digest, meeting reminders, or none at all."""
