"""The transactional outbox and e-mail delivery."""
