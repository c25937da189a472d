;; tak: the Takeuchi function (tak 18 12 6), repeated; prints the sum of the results.
(define (tak x y z)
  (if (not (< y x))
      z
      (tak (tak (- x 1) y z)
           (tak (- y 1) z x)
           (tak (- z 1) x y))))

(display (let loop ((i 0) (total 0))
           (if (= i 120)
               total
               (loop (+ i 1) (+ total (tak 18 12 6))))))
(newline)
