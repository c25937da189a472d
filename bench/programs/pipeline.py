# pipeline: map, filter and reduce over a list of 100000 integers, repeated; prints the sum
# of the reductions.
from functools import reduce

xs = list(range(100000))
total = 0
for _ in range(20):
    tripled = list(map(lambda x: x * 3, xs))
    evens = list(filter(lambda y: y % 2 == 0, tripled))
    total += reduce(lambda acc, y: acc + y, evens, 0)
print(total)
