"""Matches between buyers' demand and OCOP supply: ranked, explained, stored for the digests."""
