-- tak: the Takeuchi function (tak 18 12 6), repeated; prints the sum of the results.
local function tak(x, y, z)
  if not (y < x) then return z end
  return tak(tak(x - 1, y, z), tak(y - 1, z, x), tak(z - 1, x, y))
end

local total = 0
for _ = 1, 120 do
  total = total + tak(18, 12, 6)
end
print(total)
