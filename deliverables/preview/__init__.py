"""`deliver serve`: a live preview page of one client's deliverables for the meeting room."""
