# nqueens: counts all solutions of the 8-queens problem, repeated; prints the total count.
def safe(row, placed):
    """placed holds the row of the queen in each column so far; the nearest column is last."""
    dist = 1
    for q in reversed(placed):
        if q == row or q == row + dist or q == row - dist:
            return False
        dist += 1
    return True


def place(n, placed):
    if len(placed) == n:
        return 1
    total = 0
    for row in range(n):
        if safe(row, placed):
            placed.append(row)
            total += place(n, placed)
            placed.pop()
    return total


total = 0
for _ in range(100):
    total += place(8, [])
print(total)
