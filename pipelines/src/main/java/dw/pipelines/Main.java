package dw.pipelines; public class Main { public static void main(String[] a){} }
