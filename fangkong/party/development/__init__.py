"""Party-member development (发展党员): candidates through their stages, the branch
meetings that vote on them, and who is due for the next step."""
