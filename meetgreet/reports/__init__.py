"""Read-only views on the data: printable lists (PDF, CSV), the dashboard, groups."""
