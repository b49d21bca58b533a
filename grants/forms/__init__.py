"""Forms of the grants pages, one module per concept. They only parse input: the services decide."""
