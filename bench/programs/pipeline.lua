-- pipeline: map, filter and reduce over a list of 100000 integers, repeated; prints the sum
-- of the reductions.
local function map(f, xs)
  local out = {}
  for i = 1, #xs do out[i] = f(xs[i]) end
  return out
end

local function filter(p, xs)
  local out = {}
  for i = 1, #xs do
    local x = xs[i]
    if p(x) then out[#out + 1] = x end
  end
  return out
end

local function reduce(f, acc, xs)
  for i = 1, #xs do acc = f(acc, xs[i]) end
  return acc
end

local xs = {}
for i = 0, 99999 do xs[#xs + 1] = i end

local total = 0
for _ = 1, 20 do
  local tripled = map(function(x) return x * 3 end, xs)
  local evens = filter(function(y) return y % 2 == 0 end, tripled)
  total = total + reduce(function(acc, y) return acc + y end, 0, evens)
end
print(string.format("%d", total))
