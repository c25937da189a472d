# tak: the Takeuchi function (tak 18 12 6), repeated; prints the sum of the results.
def tak(x, y, z):
    if not y < x:
        return z
    return tak(tak(x - 1, y, z), tak(y - 1, z, x), tak(z - 1, x, y))


total = 0
for _ in range(120):
    total += tak(18, 12, 6)
print(total)
