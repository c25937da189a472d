;; strbuild: builds the string "0,1,2,...,99999," with a string buffer (a string output
;; port), repeated; prints the total length.
(define (build n)
  (let ((port (open-output-string)))
    (let loop ((i 0))
      (if (= i n)
          (get-output-string port)
          (begin
            (display (number->string i) port)
            (display "," port)
            (loop (+ i 1)))))))

(display (let loop ((i 0) (total 0))
           (if (= i 30)
               total
               (loop (+ i 1) (+ total (string-length (build 100000)))))))
(newline)
