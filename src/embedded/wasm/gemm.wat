;; Matrix products for the embedded transformer, in WebAssembly SIMD (f32x4).
;; All matrices are row-major f32; pointers are byte offsets into the imported memory.
;; `acc` = 0 overwrites C, 1 adds into it. scripts/build-wasm.ts assembles this file into
;; src/embedded/wasm/gemm-bytes.ts; regenerate after any edit.
(module
  (import "env" "memory" (memory 1))

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

  ;; C[M,N] (+)= A·B with B [P,N] row-major and A read through byte strides:
  ;; A(i,p) = a + i*sai + p*sap. (sai, sap) = (4P, 4) is A[M,P]; (4, 4M') is the transpose of A[P,M'].
  ;; Each output block of 16 floats stays in four registers across the whole p loop.
  (func $strided
    (param $a i32) (param $sai i32) (param $sap i32) (param $b i32) (param $c i32)
    (param $M i32) (param $P i32) (param $N i32) (param $acc i32)
    (local $i i32) (local $j i32) (local $p i32) (local $ap i32) (local $bp i32) (local $cp i32)
    (local $n16 i32) (local $n4 i32) (local $rowBytes i32) (local $s v128) (local $sum f32)
    (local $acc0 v128) (local $acc1 v128) (local $acc2 v128) (local $acc3 v128)
    (local.set $n16 (i32.and (local.get $N) (i32.const -16)))
    (local.set $n4 (i32.and (local.get $N) (i32.const -4)))
    (local.set $rowBytes (i32.shl (local.get $N) (i32.const 2)))
    (block $doneI
      (loop $nextI
        (br_if $doneI (i32.ge_u (local.get $i) (local.get $M)))
        (local.set $j (i32.const 0))
        (block $done16
          (loop $next16
            (br_if $done16 (i32.ge_u (local.get $j) (local.get $n16)))
            (local.set $cp (i32.add (local.get $c) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $N)) (local.get $j)) (i32.const 2))))
            (local.set $acc0 (if (result v128) (local.get $acc) (then (v128.load offset=0 (local.get $cp))) (else (v128.const i32x4 0 0 0 0))))
            (local.set $acc1 (if (result v128) (local.get $acc) (then (v128.load offset=16 (local.get $cp))) (else (v128.const i32x4 0 0 0 0))))
            (local.set $acc2 (if (result v128) (local.get $acc) (then (v128.load offset=32 (local.get $cp))) (else (v128.const i32x4 0 0 0 0))))
            (local.set $acc3 (if (result v128) (local.get $acc) (then (v128.load offset=48 (local.get $cp))) (else (v128.const i32x4 0 0 0 0))))
            (local.set $ap (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $sai))))
            (local.set $bp (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
            (local.set $p (i32.const 0))
            (block $doneP
              (loop $nextP
                (br_if $doneP (i32.ge_u (local.get $p) (local.get $P)))
                (local.set $s (v128.load32_splat (local.get $ap)))
              (local.set $acc0 (f32x4.add (local.get $acc0) (f32x4.mul (local.get $s) (v128.load offset=0 (local.get $bp)))))
              (local.set $acc1 (f32x4.add (local.get $acc1) (f32x4.mul (local.get $s) (v128.load offset=16 (local.get $bp)))))
              (local.set $acc2 (f32x4.add (local.get $acc2) (f32x4.mul (local.get $s) (v128.load offset=32 (local.get $bp)))))
              (local.set $acc3 (f32x4.add (local.get $acc3) (f32x4.mul (local.get $s) (v128.load offset=48 (local.get $bp)))))
                (local.set $ap (i32.add (local.get $ap) (local.get $sap)))
                (local.set $bp (i32.add (local.get $bp) (local.get $rowBytes)))
                (local.set $p (i32.add (local.get $p) (i32.const 1)))
                (br $nextP)))
            (v128.store offset=0 (local.get $cp) (local.get $acc0))
            (v128.store offset=16 (local.get $cp) (local.get $acc1))
            (v128.store offset=32 (local.get $cp) (local.get $acc2))
            (v128.store offset=48 (local.get $cp) (local.get $acc3))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $next16)))
        (block $done4
          (loop $next4
            (br_if $done4 (i32.ge_u (local.get $j) (local.get $n4)))
            (local.set $cp (i32.add (local.get $c) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $N)) (local.get $j)) (i32.const 2))))
            (local.set $acc0 (if (result v128) (local.get $acc) (then (v128.load offset=0 (local.get $cp))) (else (v128.const i32x4 0 0 0 0))))
            (local.set $ap (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $sai))))
            (local.set $bp (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
            (local.set $p (i32.const 0))
            (block $doneP4
              (loop $nextP4
                (br_if $doneP4 (i32.ge_u (local.get $p) (local.get $P)))
                (local.set $s (v128.load32_splat (local.get $ap)))
              (local.set $acc0 (f32x4.add (local.get $acc0) (f32x4.mul (local.get $s) (v128.load offset=0 (local.get $bp)))))
                (local.set $ap (i32.add (local.get $ap) (local.get $sap)))
                (local.set $bp (i32.add (local.get $bp) (local.get $rowBytes)))
                (local.set $p (i32.add (local.get $p) (i32.const 1)))
                (br $nextP4)))
            (v128.store offset=0 (local.get $cp) (local.get $acc0))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $next4)))
        (block $done1
          (loop $next1
            (br_if $done1 (i32.ge_u (local.get $j) (local.get $N)))
            (local.set $cp (i32.add (local.get $c) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $N)) (local.get $j)) (i32.const 2))))
            (local.set $sum (if (result f32) (local.get $acc) (then (f32.load (local.get $cp))) (else (f32.const 0))))
            (local.set $ap (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $sai))))
            (local.set $bp (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
            (local.set $p (i32.const 0))
            (block $doneP1
              (loop $nextP1
                (br_if $doneP1 (i32.ge_u (local.get $p) (local.get $P)))
                (local.set $sum (f32.add (local.get $sum) (f32.mul (f32.load (local.get $ap)) (f32.load (local.get $bp)))))
                (local.set $ap (i32.add (local.get $ap) (local.get $sap)))
                (local.set $bp (i32.add (local.get $bp) (local.get $rowBytes)))
                (local.set $p (i32.add (local.get $p) (i32.const 1)))
                (br $nextP1)))
            (f32.store (local.get $cp) (local.get $sum))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $next1)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $nextI))))

  ;; C[M,N] (+)= A[M,K] * B[K,N]
  (func (export "gemm_nn")
    (param $a i32) (param $b i32) (param $c i32) (param $M i32) (param $K i32) (param $N i32) (param $acc i32)
    (call $strided (local.get $a) (i32.shl (local.get $K) (i32.const 2)) (i32.const 4)
      (local.get $b) (local.get $c) (local.get $M) (local.get $K) (local.get $N) (local.get $acc)))

  ;; C[K,N] (+)= A[M,K]^T * B[M,N]
  (func (export "gemm_tn")
    (param $a i32) (param $b i32) (param $c i32) (param $M i32) (param $K i32) (param $N i32) (param $acc i32)
    (call $strided (local.get $a) (i32.const 4) (i32.shl (local.get $K) (i32.const 2))
      (local.get $b) (local.get $c) (local.get $K) (local.get $M) (local.get $N) (local.get $acc)))

  ;; dst[cols, rows] = src[rows, cols]^T
  (func (export "transpose") (param $src i32) (param $dst i32) (param $rows i32) (param $cols i32)
    (local $r i32) (local $c i32)
    (block $doneR
      (loop $nextR
        (br_if $doneR (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $c (i32.const 0))
        (block $doneC
          (loop $nextC
            (br_if $doneC (i32.ge_u (local.get $c) (local.get $cols)))
            (f32.store
              (i32.add (local.get $dst) (i32.shl (i32.add (i32.mul (local.get $c) (local.get $rows)) (local.get $r)) (i32.const 2)))
              (f32.load (i32.add (local.get $src) (i32.shl (i32.add (i32.mul (local.get $r) (local.get $cols)) (local.get $c)) (i32.const 2)))))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $nextC)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $nextR)))))
