"""Delivering messages: the channel adapters (inbox, e-mail over SMTP, signed webhook, the SMS
gateway port) and the record of every delivery (its state, attempts and last error)."""
