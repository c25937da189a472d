# deriv: symbolic differentiation (Gabriel's deriv) of a polynomial, repeated;
# prints the last derivative as an s-expression.
# Expressions are lists whose head is an operator name; symbols are strings.
def deriv(a):
    if not isinstance(a, list):
        return 1 if a == "x" else 0
    op = a[0]
    if op == "+":
        return ["+"] + [deriv(b) for b in a[1:]]
    if op == "-":
        return ["-"] + [deriv(b) for b in a[1:]]
    if op == "*":
        return ["*", a, ["+"] + [["/", deriv(b), b] for b in a[1:]]]
    if op == "/":
        u, v = a[1], a[2]
        return ["-", ["/", deriv(u), v], ["/", u, ["*", v, v, deriv(v)]]]
    raise ValueError("no derivation rule for " + str(op))


def show(e):
    if isinstance(e, list):
        return "(" + " ".join(show(x) for x in e) + ")"
    return str(e)


EXPR = ["+", ["*", 3, "x", "x"], ["*", "a", "x", "x"], ["*", "b", "x"], 5]
result = None
for _ in range(120000):
    result = deriv(EXPR)
print(show(result))
