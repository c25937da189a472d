-- deriv: symbolic differentiation (Gabriel's deriv) of a polynomial, repeated;
-- prints the last derivative as an s-expression.
-- Expressions are arrays whose first element is an operator name; symbols are strings.
local deriv

local function map_rest(f, a)
  local out = {}
  for i = 2, #a do out[i - 1] = f(a[i]) end
  return out
end

local function prepend(head, items)
  local out = { head }
  for i = 1, #items do out[i + 1] = items[i] end
  return out
end

local function quotient_term(b)
  return { "/", deriv(b), b }
end

deriv = function(a)
  if type(a) ~= "table" then
    if a == "x" then return 1 else return 0 end
  end
  local op = a[1]
  if op == "+" or op == "-" then
    return prepend(op, map_rest(deriv, a))
  elseif op == "*" then
    return { "*", a, prepend("+", map_rest(quotient_term, a)) }
  elseif op == "/" then
    local u, v = a[2], a[3]
    return { "-", { "/", deriv(u), v }, { "/", u, { "*", v, v, deriv(v) } } }
  end
  error("no derivation rule for " .. tostring(op))
end

local function show(e)
  if type(e) ~= "table" then return tostring(e) end
  local parts = {}
  for i = 1, #e do parts[i] = show(e[i]) end
  return "(" .. table.concat(parts, " ") .. ")"
end

local EXPR = { "+", { "*", 3, "x", "x" }, { "*", "a", "x", "x" }, { "*", "b", "x" }, 5 }
local result
for _ = 1, 120000 do
  result = deriv(EXPR)
end
print(show(result))
