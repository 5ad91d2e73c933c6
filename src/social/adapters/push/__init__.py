"""Web Push on the wire (NOTIF-3): the VAPID identity (RFC 8292), payload encryption (RFC 8291),
delivery to push services (RFC 8030), and the address policy that keeps deliveries out of the
private network."""
