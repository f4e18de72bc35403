"""Venue guides: loading, checking and rendering the venue files in exchanges/."""
