-- wrk script: POST bench/digit.png as base64 in JSON ({"image": "..."}) to /predict.
-- Usage: wrk -t2 -c16 -d30s -s bench/predict-base64.lua http://localhost:8080
local f = assert(io.open("bench/digit.png", "rb"))
local png = f:read("*all")
f:close()
local alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
local function base64(data)
  local out = {}
  for i = 1, #data, 3 do
    local a, b, c = data:byte(i, i + 2)
    local n = a * 65536 + (b or 0) * 256 + (c or 0)
    local chars = 4 - (b and 0 or 1) - (c and 0 or 1)
    for j = 1, 4 do
      local index = math.floor(n / 64 ^ (4 - j)) % 64
      out[#out + 1] = j <= chars and alphabet:sub(index + 1, index + 1) or "="
    end
  end
  return table.concat(out)
end
wrk.method = "POST"
wrk.path = "/predict"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"image": "' .. base64(png) .. '"}'

function response(status, headers, body)
  if status ~= 200 then
    print("unexpected status " .. status .. ": " .. body)
  end
end
