-- wrk script: POST 32 copies of bench/digit.png as one multipart request to /predict.
local f = assert(io.open("bench/digit.png", "rb"))
local png = f:read("*all")
f:close()
local boundary = "----wrkbatch32"
local parts = {}
for i = 1, 32 do
  parts[#parts + 1] = "--" .. boundary .. "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"d" .. i
    .. ".png\"\r\nContent-Type: image/png\r\n\r\n" .. png .. "\r\n"
end
wrk.method = "POST"
wrk.path = "/predict"
wrk.headers["Content-Type"] = "multipart/form-data; boundary=" .. boundary
wrk.body = table.concat(parts) .. "--" .. boundary .. "--\r\n"

function response(status, headers, body)
  if status ~= 200 then
    print("unexpected status " .. status .. ": " .. body)
  end
end
