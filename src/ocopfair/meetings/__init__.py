"""Booth meetings: requests, availability, the scheduling run, meetings and agendas."""
