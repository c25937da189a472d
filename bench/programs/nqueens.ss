;; nqueens: counts all solutions of the 8-queens problem, repeated; prints the total count.

;; placed holds the row of the queen in each column so far, the nearest column first.
(define (safe? row dist placed)
  (or (null? placed)
      (let ((q (car placed)))
        (and (not (= q row))
             (not (= q (+ row dist)))
             (not (= q (- row dist)))
             (safe? row (+ dist 1) (cdr placed))))))

(define (place n k placed)
  (if (= k n)
      1
      (let loop ((row 0) (total 0))
        (if (= row n)
            total
            (loop (+ row 1)
                  (if (safe? row 1 placed)
                      (+ total (place n (+ k 1) (cons row placed)))
                      total))))))

(display (let loop ((i 0) (total 0))
           (if (= i 100)
               total
               (loop (+ i 1) (+ total (place 8 0 '()))))))
(newline)
