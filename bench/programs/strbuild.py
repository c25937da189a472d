# strbuild: builds the string "0,1,2,...,99999," with a string buffer (a list of parts and
# join), repeated; prints the total length.
def build(n):
    parts = []
    for i in range(n):
        parts.append(str(i))
        parts.append(",")
    return "".join(parts)


total = 0
for _ in range(30):
    total += len(build(100000))
print(total)
