-- strbuild: builds the string "0,1,2,...,99999," with a string buffer (a table of parts and
-- table.concat), repeated; prints the total length.
local function build(n)
  local parts = {}
  for i = 0, n - 1 do
    parts[#parts + 1] = tostring(i)
    parts[#parts + 1] = ","
  end
  return table.concat(parts)
end

local total = 0
for _ = 1, 30 do
  total = total + #build(100000)
end
print(total)
