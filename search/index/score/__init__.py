"""Reading postings in bulk and scoring with Whoosh's own formulas: counts, evaluation,
pruned top N, the top N.
"""
