"""Who acts: users, their roles and outlets, and the tokens that name them."""
