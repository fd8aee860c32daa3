"""The recommendations flow: requests from profiles, the recommender service, ranking and the latest list per user."""
