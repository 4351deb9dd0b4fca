"""Package data: the personography knowledge base (persons.json)."""
