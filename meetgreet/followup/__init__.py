"""What comes after a Meet & Greet: conversations at the stands, follow-ups, outcomes."""
