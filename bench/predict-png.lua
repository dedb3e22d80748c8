-- wrk script: POST one 28x28 PNG as multipart/form-data to /predict, as curl -F image=@digit.png does.
-- Usage: wrk -t2 -c16 -d30s -s bench/predict-png.lua http://localhost:8080
-- The PNG is bench/digit.png, a 7 drawn by the project (not an MNIST image), read once at start-up.
local f = assert(io.open("bench/digit.png", "rb"))
local png = f:read("*all")
f:close()
local boundary = "----wrkboundary7d3"
wrk.method = "POST"
wrk.path = "/predict"
wrk.headers["Content-Type"] = "multipart/form-data; boundary=" .. boundary
wrk.body = "--" .. boundary .. "\r\n"
  .. "Content-Disposition: form-data; name=\"image\"; filename=\"digit.png\"\r\n"
  .. "Content-Type: image/png\r\n\r\n"
  .. png .. "\r\n--" .. boundary .. "--\r\n"

function response(status, headers, body)
  if status ~= 200 then
    print("unexpected status " .. status .. ": " .. body)
  end
end
