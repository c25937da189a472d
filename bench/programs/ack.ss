;; ack: the Ackermann function (ack 3 6), repeated; prints the sum of the results.
(define (ack m n)
  (cond ((= m 0) (+ n 1))
        ((= n 0) (ack (- m 1) 1))
        (else (ack (- m 1) (ack m (- n 1))))))

(display (let loop ((i 0) (total 0))
           (if (= i 15)
               total
               (loop (+ i 1) (+ total (ack 3 6))))))
(newline)
