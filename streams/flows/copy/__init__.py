"""The copy flow: copy requests from the catalog, the copy writer (inference role) and the latest copy per product."""
