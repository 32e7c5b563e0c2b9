-- wrk script for bench/kv_store.sh: PUT of a 100-byte value to a new key each time
-- ("bench-<thread>-<n>").
local value = string.rep("v", 100)
local threads = 0
local counter = 0

setup = function(thread)
  threads = threads + 1
  thread:set("id", threads)
end

request = function()
  counter = counter + 1
  return wrk.format("PUT", "/bench-" .. id .. "-" .. counter, nil, value)
end
