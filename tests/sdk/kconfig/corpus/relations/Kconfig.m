config A
	bool "a"
	default y if m
config B
	def_bool m && y
config C
	bool
	default y
	depends on m
config D
	bool "d" if m
	default y
config E
	def_bool y
	select F if m
config F
	bool
config G
	int "g"
	range 1 2 if m
	default 5
if m
config H
	def_bool y
endif
config I
	def_bool m || n
config J
	def_bool !m
config K
	def_bool y if m = y
config L
	def_bool A = m
