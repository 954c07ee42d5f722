"""Privacy: retention, export and erasure of personal data (AVG/GDPR)."""
