# ack: the Ackermann function (ack 3 6), repeated; prints the sum of the results.
import sys

sys.setrecursionlimit(10000)


def ack(m, n):
    if m == 0:
        return n + 1
    if n == 0:
        return ack(m - 1, 1)
    return ack(m - 1, ack(m, n - 1))


total = 0
for _ in range(15):
    total += ack(3, 6)
print(total)
