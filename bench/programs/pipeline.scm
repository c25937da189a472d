;; pipeline: map, filter and reduce over a list of 100000 integers, repeated; prints the sum
;; of the reductions.
(use-modules (srfi srfi-1))

(define xs (iota 100000))

(display (let loop ((i 0) (total 0))
           (if (= i 20)
               total
               (let* ((tripled (map (lambda (x) (* x 3)) xs))
                      (evens (filter (lambda (y) (= (modulo y 2) 0)) tripled)))
                 (loop (+ i 1) (+ total (fold (lambda (y acc) (+ acc y)) 0 evens)))))))
(newline)
