"""Vietnam's relationships in time: events found in sentences (extract) and the timeline and
partnership ladder built from them with the curated data (build); model: the event and its
evidence, and HOME. Reads the entity index it is handed; never imports search.entities.
"""
