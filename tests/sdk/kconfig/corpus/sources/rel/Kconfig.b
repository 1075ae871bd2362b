config REL_B
	bool "rel b"
