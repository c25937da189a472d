# perform: 200000 effect requests {op: "bump", args: [i]}, each answered by a handler found
# in a dispatch table by its op name; prints the sum of the answers.
HANDLERS = {"bump": lambda x: x + 1}


def perform(request):
    return HANDLERS[request["op"]](*request["args"])


total = 0
for i in range(200000):
    total += perform({"op": "bump", "args": [i]})
print(total)
