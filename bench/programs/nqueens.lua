-- nqueens: counts all solutions of the 8-queens problem, repeated; prints the total count.

-- placed holds the row of the queen in each column so far; the nearest column is last.
local function safe(row, placed)
  local dist = 1
  for i = #placed, 1, -1 do
    local q = placed[i]
    if q == row or q == row + dist or q == row - dist then return false end
    dist = dist + 1
  end
  return true
end

local function place(n, placed)
  if #placed == n then return 1 end
  local total = 0
  for row = 0, n - 1 do
    if safe(row, placed) then
      placed[#placed + 1] = row
      total = total + place(n, placed)
      placed[#placed] = nil
    end
  end
  return total
end

local total = 0
for _ = 1, 100 do
  total = total + place(8, {})
end
print(total)
