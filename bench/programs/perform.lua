-- perform: 200000 effect requests {op = "bump", args = {i}}, each answered by a handler found
-- in a dispatch table by its op name; prints the sum of the answers.
local HANDLERS = { bump = function(x) return x + 1 end }

local function perform(request)
  return HANDLERS[request.op](unpack(request.args))
end

local total = 0
for i = 0, 199999 do
  total = total + perform({ op = "bump", args = { i } })
end
print(string.format("%d", total))
