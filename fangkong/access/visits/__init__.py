"""People met at the gate: visitors and deliveries, and referrals to the community."""
