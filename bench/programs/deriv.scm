;; deriv: symbolic differentiation (Gabriel's deriv) of a polynomial, repeated;
;; prints the last derivative as an s-expression.
(define (deriv a)
  (cond ((not (pair? a)) (if (eq? a 'x) 1 0))
        ((eq? (car a) '+) (cons '+ (map deriv (cdr a))))
        ((eq? (car a) '-) (cons '- (map deriv (cdr a))))
        ((eq? (car a) '*)
         (list '* a (cons '+ (map (lambda (b) (list '/ (deriv b) b)) (cdr a)))))
        ((eq? (car a) '/)
         (let ((u (cadr a)) (v (caddr a)))
           (list '- (list '/ (deriv u) v) (list '/ u (list '* v v (deriv v))))))
        (else (error "no derivation rule for" (car a)))))

(define expr '(+ (* 3 x x) (* a x x) (* b x) 5))

(display (let loop ((i 0) (result #f))
           (if (= i 120000)
               result
               (loop (+ i 1) (deriv expr)))))
(newline)
