"""Vietnam's relationships in time: events found in sentences (extract) and the timeline and
partnership ladder built from them with the curated data (build).
"""
