-- ack: the Ackermann function (ack 3 6), repeated; prints the sum of the results.
local function ack(m, n)
  if m == 0 then return n + 1 end
  if n == 0 then return ack(m - 1, 1) end
  return ack(m - 1, ack(m, n - 1))
end

local total = 0
for _ = 1, 15 do
  total = total + ack(3, 6)
end
print(total)
