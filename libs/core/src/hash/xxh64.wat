;; XXH64 (seed 0) and the batch shard function of docs/design.md#hashing, as WebAssembly.
;;
;; Why this exists next to the pure-JS XXH64 in xxh64.ts: JavaScript has no 64-bit integer
;; multiply, so every XXH64 step there is emulated on 32-bit halves (~10 emulated multiplies per
;; short key). Here a 64-bit multiply is one instruction and `i64.rem_u` is the exact shard modulo,
;; and a whole batch of keys is hashed in one call, so routing pays the JS-to-Wasm crossing once per
;; batch instead of once per key. No maintained package exposes a batch entry point: xxhash-wasm and
;; @node-rs/xxhash hash one input per call and return a BigInt (measured in bench/core-routing.ts).
;;
;; Build: `npm run build:wasm` (scripts/build-wasm.cjs) assembles this file with wabt into xxh64-wasm-module.ts;
;; test/unit/core/hash-wasm.spec.ts checks the committed bytes are this source's, and the results
;; bit for bit against @node-rs/xxhash.
;;
;; Memory layout is the caller's (see xxh64-wasm.ts): a region of u32 end offsets, a region of u32
;; results and a region of key bytes, each key already followed by its 0xFF terminator.
(module
  (memory (export "memory") 4)

  ;; acc + lane * P2, rotated left 31, times P1.
  (func $round (param $acc i64) (param $lane i64) (result i64)
    (i64.mul
      (i64.rotl
        (i64.add (local.get $acc) (i64.mul (local.get $lane) (i64.const 0xC2B2AE3D27D4EB4F)))
        (i64.const 31))
      (i64.const 0x9E3779B185EBCA87)))

  ;; (h ^ round(0, v)) * P1 + P4
  (func $merge (param $h i64) (param $v i64) (result i64)
    (i64.add
      (i64.mul
        (i64.xor (local.get $h) (call $round (i64.const 0) (local.get $v)))
        (i64.const 0x9E3779B185EBCA87))
      (i64.const 0x85EBCA77C2B2AE63)))

  ;; XXH64 with seed 0 of memory[p .. p + len).
  (func $xxh64 (export "xxh64") (param $p i32) (param $len i32) (result i64)
    (local $end i32)
    (local $limit i32)
    (local $h i64)
    (local $v1 i64)
    (local $v2 i64)
    (local $v3 i64)
    (local $v4 i64)
    (local.set $end (i32.add (local.get $p) (local.get $len)))
    (if (i32.ge_u (local.get $len) (i32.const 32))
      (then
        (local.set $limit (i32.sub (local.get $end) (i32.const 32)))
        ;; v1 = P1 + P2, v2 = P2, v3 = 0, v4 = -P1
        (local.set $v1 (i64.const 0x60EA27EEADC0B5D6))
        (local.set $v2 (i64.const 0xC2B2AE3D27D4EB4F))
        (local.set $v3 (i64.const 0))
        (local.set $v4 (i64.const 0x61C8864E7A143579))
        (loop $stripes
          (local.set $v1 (call $round (local.get $v1) (i64.load (local.get $p))))
          (local.set $v2 (call $round (local.get $v2) (i64.load offset=8 (local.get $p))))
          (local.set $v3 (call $round (local.get $v3) (i64.load offset=16 (local.get $p))))
          (local.set $v4 (call $round (local.get $v4) (i64.load offset=24 (local.get $p))))
          (local.set $p (i32.add (local.get $p) (i32.const 32)))
          (br_if $stripes (i32.le_u (local.get $p) (local.get $limit))))
        (local.set $h
          (i64.add
            (i64.add (i64.rotl (local.get $v1) (i64.const 1)) (i64.rotl (local.get $v2) (i64.const 7)))
            (i64.add (i64.rotl (local.get $v3) (i64.const 12)) (i64.rotl (local.get $v4) (i64.const 18)))))
        (local.set $h (call $merge (local.get $h) (local.get $v1)))
        (local.set $h (call $merge (local.get $h) (local.get $v2)))
        (local.set $h (call $merge (local.get $h) (local.get $v3)))
        (local.set $h (call $merge (local.get $h) (local.get $v4))))
      (else
        ;; P5
        (local.set $h (i64.const 0x27D4EB2F165667C5))))
    (local.set $h (i64.add (local.get $h) (i64.extend_i32_u (local.get $len))))
    ;; 8-byte lanes: h ^= round(0, lane); h = rotl(h, 27) * P1 + P4
    (block $done8
      (loop $lanes8
        (br_if $done8 (i32.gt_u (i32.add (local.get $p) (i32.const 8)) (local.get $end)))
        (local.set $h
          (i64.add
            (i64.mul
              (i64.rotl
                (i64.xor (local.get $h) (call $round (i64.const 0) (i64.load (local.get $p))))
                (i64.const 27))
              (i64.const 0x9E3779B185EBCA87))
            (i64.const 0x85EBCA77C2B2AE63)))
        (local.set $p (i32.add (local.get $p) (i32.const 8)))
        (br $lanes8)))
    ;; one 4-byte lane: h ^= u32 * P1; h = rotl(h, 23) * P2 + P3
    (if (i32.le_u (i32.add (local.get $p) (i32.const 4)) (local.get $end))
      (then
        (local.set $h
          (i64.add
            (i64.mul
              (i64.rotl
                (i64.xor
                  (local.get $h)
                  (i64.mul (i64.load32_u (local.get $p)) (i64.const 0x9E3779B185EBCA87)))
                (i64.const 23))
              (i64.const 0xC2B2AE3D27D4EB4F))
            (i64.const 0x165667B19E3779F9)))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))))
    ;; bytes: h ^= byte * P5; h = rotl(h, 11) * P1
    (block $done1
      (loop $bytes
        (br_if $done1 (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $h
          (i64.mul
            (i64.rotl
              (i64.xor
                (local.get $h)
                (i64.mul (i64.load8_u (local.get $p)) (i64.const 0x27D4EB2F165667C5)))
              (i64.const 11))
            (i64.const 0x9E3779B185EBCA87)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $bytes)))
    ;; avalanche: h ^= h >> 33; h *= P2; h ^= h >> 29; h *= P3; h ^= h >> 32
    (local.set $h (i64.xor (local.get $h) (i64.shr_u (local.get $h) (i64.const 33))))
    (local.set $h (i64.mul (local.get $h) (i64.const 0xC2B2AE3D27D4EB4F)))
    (local.set $h (i64.xor (local.get $h) (i64.shr_u (local.get $h) (i64.const 29))))
    (local.set $h (i64.mul (local.get $h) (i64.const 0x165667B19E3779F9)))
    (i64.xor (local.get $h) (i64.shr_u (local.get $h) (i64.const 32))))

  ;; For k in [0, count): out[k] = XXH64(data[ends[k-1] .. ends[k])) mod shards, where ends[-1] is
  ;; `data`. Offsets are absolute byte addresses; ends and out hold u32 values.
  (func (export "shards") (param $ends i32) (param $count i32) (param $data i32) (param $out i32) (param $shards i32)
    (local $k i32)
    (local $start i32)
    (local $stop i32)
    (local $m i64)
    (local.set $m (i64.extend_i32_u (local.get $shards)))
    (local.set $start (local.get $data))
    (block $done
      (loop $keys
        (br_if $done (i32.ge_u (local.get $k) (local.get $count)))
        (local.set $stop (i32.load (i32.add (local.get $ends) (i32.shl (local.get $k) (i32.const 2)))))
        (i32.store
          (i32.add (local.get $out) (i32.shl (local.get $k) (i32.const 2)))
          (i32.wrap_i64
            (i64.rem_u
              (call $xxh64 (local.get $start) (i32.sub (local.get $stop) (local.get $start)))
              (local.get $m))))
        (local.set $start (local.get $stop))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $keys))))
)
