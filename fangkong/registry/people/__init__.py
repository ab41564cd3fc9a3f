"""People, their addresses and homes (人员、住址、居住): registration, search, merge,
households, and the people export."""
