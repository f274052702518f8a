;; Matrix products for the embedded transformer, in WebAssembly SIMD (f32x4).
;; All matrices are row-major f32; pointers are byte offsets into the imported memory.
;; `acc` = 0 overwrites C, 1 adds into it. scripts/build-wasm.ts assembles this file into
;; src/embedded/wasm/gemm-bytes.ts; regenerate after any edit.
(module
  (import "env" "memory" (memory 1))

  ;; p[0..n) = 0
  (func $zero (param $p i32) (param $n i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (f32.store (local.get $p) (f32.const 0))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (br $next))))

  ;; y[0..n) += s * x[0..n)
  (func $axpy (param $y i32) (param $x i32) (param $s f32) (param $n i32)
    (local $sv v128) (local $end i32) (local $end4 i32)
    (local.set $sv (f32x4.splat (local.get $s)))
    (local.set $end (i32.add (local.get $y) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $end4 (i32.add (local.get $y) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (block $done4
      (loop $next4
        (br_if $done4 (i32.ge_u (local.get $y) (local.get $end4)))
        (v128.store (local.get $y)
          (f32x4.add (v128.load (local.get $y)) (f32x4.mul (local.get $sv) (v128.load (local.get $x)))))
        (local.set $y (i32.add (local.get $y) (i32.const 16)))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (br $next4)))
    (block $done1
      (loop $next1
        (br_if $done1 (i32.ge_u (local.get $y) (local.get $end)))
        (f32.store (local.get $y)
          (f32.add (f32.load (local.get $y)) (f32.mul (local.get $s) (f32.load (local.get $x)))))
        (local.set $y (i32.add (local.get $y) (i32.const 4)))
        (local.set $x (i32.add (local.get $x) (i32.const 4)))
        (br $next1))))

  ;; sum of x[i] * y[i] for i in 0..n
  (func $dot (param $x i32) (param $y i32) (param $n i32) (result f32)
    (local $acc v128) (local $end i32) (local $end4 i32) (local $s f32)
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $end4 (i32.add (local.get $x) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (block $done4
      (loop $next4
        (br_if $done4 (i32.ge_u (local.get $x) (local.get $end4)))
        (local.set $acc
          (f32x4.add (local.get $acc) (f32x4.mul (v128.load (local.get $x)) (v128.load (local.get $y)))))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (local.set $y (i32.add (local.get $y) (i32.const 16)))
        (br $next4)))
    (local.set $s
      (f32.add
        (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32x4.extract_lane 1 (local.get $acc)))
        (f32.add (f32x4.extract_lane 2 (local.get $acc)) (f32x4.extract_lane 3 (local.get $acc)))))
    (block $done1
      (loop $next1
        (br_if $done1 (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $s (f32.add (local.get $s) (f32.mul (f32.load (local.get $x)) (f32.load (local.get $y)))))
        (local.set $x (i32.add (local.get $x) (i32.const 4)))
        (local.set $y (i32.add (local.get $y) (i32.const 4)))
        (br $next1)))
    (local.get $s))

  ;; C[M,N] (+)= A[M,K] * B[K,N]
  (func (export "gemm_nn")
    (param $a i32) (param $b i32) (param $c i32) (param $M i32) (param $K i32) (param $N i32) (param $acc i32)
    (local $i i32) (local $k i32) (local $arow i32) (local $crow i32)
    (block $doneI
      (loop $nextI
        (br_if $doneI (i32.ge_u (local.get $i) (local.get $M)))
        (local.set $crow (i32.add (local.get $c) (i32.shl (i32.mul (local.get $i) (local.get $N)) (i32.const 2))))
        (local.set $arow (i32.add (local.get $a) (i32.shl (i32.mul (local.get $i) (local.get $K)) (i32.const 2))))
        (if (i32.eqz (local.get $acc)) (then (call $zero (local.get $crow) (local.get $N))))
        (local.set $k (i32.const 0))
        (block $doneK
          (loop $nextK
            (br_if $doneK (i32.ge_u (local.get $k) (local.get $K)))
            (call $axpy
              (local.get $crow)
              (i32.add (local.get $b) (i32.shl (i32.mul (local.get $k) (local.get $N)) (i32.const 2)))
              (f32.load (i32.add (local.get $arow) (i32.shl (local.get $k) (i32.const 2))))
              (local.get $N))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $nextK)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $nextI))))

  ;; C[M,N] (+)= A[M,K] * B[N,K]^T
  (func (export "gemm_nt")
    (param $a i32) (param $b i32) (param $c i32) (param $M i32) (param $K i32) (param $N i32) (param $acc i32)
    (local $i i32) (local $j i32) (local $arow i32) (local $cp i32) (local $v f32)
    (block $doneI
      (loop $nextI
        (br_if $doneI (i32.ge_u (local.get $i) (local.get $M)))
        (local.set $arow (i32.add (local.get $a) (i32.shl (i32.mul (local.get $i) (local.get $K)) (i32.const 2))))
        (local.set $j (i32.const 0))
        (block $doneJ
          (loop $nextJ
            (br_if $doneJ (i32.ge_u (local.get $j) (local.get $N)))
            (local.set $cp
              (i32.add (local.get $c) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $N)) (local.get $j)) (i32.const 2))))
            (local.set $v
              (call $dot
                (local.get $arow)
                (i32.add (local.get $b) (i32.shl (i32.mul (local.get $j) (local.get $K)) (i32.const 2)))
                (local.get $K)))
            (if (local.get $acc) (then (local.set $v (f32.add (local.get $v) (f32.load (local.get $cp))))))
            (f32.store (local.get $cp) (local.get $v))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $nextJ)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $nextI))))

  ;; C[K,N] (+)= A[M,K]^T * B[M,N]
  (func (export "gemm_tn")
    (param $a i32) (param $b i32) (param $c i32) (param $M i32) (param $K i32) (param $N i32) (param $acc i32)
    (local $m i32) (local $k i32) (local $arow i32) (local $brow i32)
    (if (i32.eqz (local.get $acc)) (then (call $zero (local.get $c) (i32.mul (local.get $K) (local.get $N)))))
    (block $doneM
      (loop $nextM
        (br_if $doneM (i32.ge_u (local.get $m) (local.get $M)))
        (local.set $arow (i32.add (local.get $a) (i32.shl (i32.mul (local.get $m) (local.get $K)) (i32.const 2))))
        (local.set $brow (i32.add (local.get $b) (i32.shl (i32.mul (local.get $m) (local.get $N)) (i32.const 2))))
        (local.set $k (i32.const 0))
        (block $doneK
          (loop $nextK
            (br_if $doneK (i32.ge_u (local.get $k) (local.get $K)))
            (call $axpy
              (i32.add (local.get $c) (i32.shl (i32.mul (local.get $k) (local.get $N)) (i32.const 2)))
              (local.get $brow)
              (f32.load (i32.add (local.get $arow) (i32.shl (local.get $k) (i32.const 2))))
              (local.get $N))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $nextK)))
        (local.set $m (i32.add (local.get $m) (i32.const 1)))
        (br $nextM)))))
